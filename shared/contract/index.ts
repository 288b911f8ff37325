export * from './config';
export * from './source';
export * from './run';
export * from './state';
export * from './qdrant';
export * from './verify';
export * from './commands';
