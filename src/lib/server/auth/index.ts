export * from './accounts';
export * from './login';
export * from './password';
export * from './roles';
export * from './session';
export * from './manage';
