import type { SessionRow, UserRow } from '../auth/repo';

export type AuthedVariables = { user: UserRow; session: SessionRow };
export type AppEnv = { Variables: Partial<AuthedVariables> };
export type AuthedEnv = { Variables: AuthedVariables };
