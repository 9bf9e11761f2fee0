export * from './event';
export * from './evidence';
export * from './correlation';
