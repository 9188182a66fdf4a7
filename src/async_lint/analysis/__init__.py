"""What one LibCST pass learns about a module: bindings and imports, the scope stack."""
