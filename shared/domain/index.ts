export * from './event';
export * from './evidence';
