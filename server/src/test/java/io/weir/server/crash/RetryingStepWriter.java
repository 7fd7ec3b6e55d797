package io.weir.server.crash;

/**
 * Delivers a step again until the server acknowledges it, as an at-least-once client does, and counts the
 * attempts that got no answer: they tell how many copies of a record the server may hold.
 */
interface RetryingStepWriter extends StepWriter {
    UnansweredAttempts unanswered();
}
