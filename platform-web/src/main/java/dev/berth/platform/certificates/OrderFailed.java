package dev.berth.platform.certificates;

/** An order that did not end in a certificate; the message is a sentence a person can act on. */
final class OrderFailed extends Exception {
    OrderFailed(String sentence) {
        super(sentence, null, false, false);
    }
}
