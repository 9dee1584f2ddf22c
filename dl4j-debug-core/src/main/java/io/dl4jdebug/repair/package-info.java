/**
 * Tries the diagnosis' fixes on copies of the network: applies a remedy to a cloned configuration, trains the same
 * short budget on the same data as an unchanged copy (trained at several seeds), and confirms the fix only when it
 * beats the unchanged copy's spread on held-out accuracy or original loss and the incident's symptoms are gone.
 */
package io.dl4jdebug.repair;
