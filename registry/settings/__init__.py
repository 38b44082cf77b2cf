"""Settings for Ansinh: base, development (default), test and production."""
