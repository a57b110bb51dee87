// Placeholder so the build has an entry; the Electron shell engineer owns this file.
export {};
