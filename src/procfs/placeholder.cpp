// Placeholder so that the library exists before its first source; replaced by real sources.
