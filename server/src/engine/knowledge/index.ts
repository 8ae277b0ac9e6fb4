/**
 * What mlready knows about ML libraries, in one place: rules, readiness items and scaffolds
 * import it from here, so a library added once is known everywhere. Each module holds qualified
 * names (as the semantic model resolves them) and, where the knowledge needs it, a small predicate.
 */
export * from './llm';
export * from './hub';
export * from './web';
export * from './tracking';
export * from './seeding';
export * from './http';
export * from './models';
export * from './preprocessing';
export * from './pytorch';
export * from './validation';
export * from './training';
export * from './stack';
