// Placeholder: filled in as the module is written.
