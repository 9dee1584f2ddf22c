/** dl4j-debug on DL4J's Spark training: the worker-side listener, the records' way back and the driver's merge. */
package io.dl4jdebug.spark;
