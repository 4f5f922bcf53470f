import * as v from 'valibot';
import { LIMITS } from '../limits';
import { IsoDateSchema, boundedText, contract, wellFormed } from './common';

export const EmailSchema = v.pipe(
  v.string('Email must be text.'),
  v.trim(),
  v.nonEmpty('Email is required.'),
  v.maxLength(LIMITS.emailMaxLength, 'Email is too long.'),
  v.email('That does not look like an email address.'),
);

/**
 * Passwords are compared as Unicode text, not as the code units an input method produced:
 * NFKC, so the same password typed on macOS and on Windows matches, and well-formed, so two
 * different unpaired surrogates cannot both become U+FFFD and match each other.
 */
export const passwordText = () =>
  v.pipe(v.string('Password must be text.'), wellFormed(), v.normalize('NFKC'));

export const PasswordSchema = v.pipe(
  passwordText(),
  v.minLength(LIMITS.passwordMinLength, `Password must be at least ${LIMITS.passwordMinLength} characters.`),
  v.maxLength(LIMITS.passwordMaxLength, `Password must be at most ${LIMITS.passwordMaxLength} characters.`),
);

const SessionLabelSchema = v.optional(v.pipe(boundedText('Label', LIMITS.sessionLabelMaxLength), v.trim()));

export const RegisterInputSchema = contract({
  email: EmailSchema,
  password: PasswordSchema,
  label: SessionLabelSchema,
});

export const LoginInputSchema = contract({
  email: EmailSchema,
  // Length rules are for new passwords; an over-long one simply fails to match.
  password: v.pipe(
    passwordText(),
    v.nonEmpty('Password is required.'),
    v.maxLength(LIMITS.passwordMaxLength, 'Password is too long.'),
  ),
  label: SessionLabelSchema,
});

export const UserSchema = v.object({
  id: v.string(),
  email: v.string(),
  createdAt: IsoDateSchema,
  /** Name of my public page (`/u/:handle`); null when I have none. Optional only because
   * sessions stored by older extension builds lack it; the server always sends it. */
  handle: v.optional(v.nullable(v.string())),
});

export const AuthResponseSchema = v.object({
  user: UserSchema,
  token: v.string(),
  expiresAt: IsoDateSchema,
});

export const MeResponseSchema = v.object({ user: UserSchema });

export type RegisterInput = v.InferOutput<typeof RegisterInputSchema>;
export type LoginInput = v.InferOutput<typeof LoginInputSchema>;
export type User = v.InferOutput<typeof UserSchema>;
export type AuthResponse = v.InferOutput<typeof AuthResponseSchema>;
