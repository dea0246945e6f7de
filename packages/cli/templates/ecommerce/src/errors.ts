/** The order names a product the shop does not sell. */
export class UnknownProduct extends Error {
  override name = 'UnknownProduct';
}

/** There are not enough units on the shelf for the order. */
export class OutOfStock extends Error {
  override name = 'OutOfStock';
}

/** A step ran on an order in the wrong status (for example shipping an unpaid order). */
export class InvalidOrderState extends Error {
  override name = 'InvalidOrderState';
}
