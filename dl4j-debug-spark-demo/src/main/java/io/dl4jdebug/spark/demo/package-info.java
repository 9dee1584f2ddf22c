/** The {@code spark-demo} command: healthy and diverging Fashion-MNIST runs on DL4J's Spark training, and a bench. */
package io.dl4jdebug.spark.demo;
