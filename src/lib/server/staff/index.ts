export * from './actions';
export * from './recipients';
export * from './inbox';
export * from './view';
export * from './outbox';
export * from './customer';
export * from './context';
export * as bulk from './bulk';
