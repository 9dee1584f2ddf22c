/** A labelled set of training bugs and healthy networks, their runner, and the score card of a diagnosis reading. */
package io.dl4jdebug.samples.scenarios;
