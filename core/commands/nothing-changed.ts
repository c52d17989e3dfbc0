/**
 * Thrown by a body that found nothing to change, to roll back what it wrote along the way (an
 * import batch whose rows were all imported already). On the terminal the caller that expects it
 * catches it and nothing reaches the outbox; on the server the command's receipt is `applied`: it
 * took effect, there was just nothing left to do.
 */
export class NothingChanged extends Error {
  constructor(message = 'The command changes nothing') {
    super(message);
    this.name = 'NothingChanged';
  }
}
