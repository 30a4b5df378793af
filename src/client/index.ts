/**
 * Placeholder entry point; filled in by the issue that builds it.
 */
export {};
