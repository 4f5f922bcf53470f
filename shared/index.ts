export * from './limits';
export * from './errors';
export * from './validation';
export * from './schemas/common';
export * from './schemas/auth';
export * from './schemas/reminders';
export * from './schemas/images';
