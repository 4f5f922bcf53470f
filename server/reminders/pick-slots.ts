/**
 * Uniform random picks in one index seek, at any collection size.
 *
 * Each person's live reminders hold the slots 1…n of `pick_slot`, with no gaps; reminders
 * in the trash hold none. A pick draws k uniformly from 1…n and reads slot k through the
 * unique (user_id, pick_slot) index, so every reminder is exactly equally likely and each
 * pick is independent of the last. (A random key per row, "the first key after a random
 * point", favours rows after wide gaps; re-drawing the picked row's key evens the counts
 * out over time but makes repeats of the same reminder more likely than chance.)
 *
 * Keeping the slots dense costs one extra indexed write per create, delete and restore:
 * a new or restored reminder takes n + 1; a deleted one gives its slot to the reminder in
 * slot n. These run inside the writes' transactions, after the owner's row lock
 * (`bumpSeq`), so a person's slot changes never interleave.
 */

/** Slot to read for a pick among `n` live reminders: a uniform draw of 1…n. */
export type SlotDraw = (n: number) => number;
