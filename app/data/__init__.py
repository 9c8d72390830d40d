"""What the wizard and the library stand on: YAML data files read with their lines, the
structured conditions they use, texts in both languages, and numbers as users write them."""
