/** A transfer or withdrawal asked for more than the account holds. */
export class InsufficientFunds extends Error {
  override name = 'InsufficientFunds';
}

/** An operation named an account the bank does not have. */
export class UnknownAccount extends Error {
  override name = 'UnknownAccount';
}
