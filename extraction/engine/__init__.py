"""Language-neutral engines: what every language shares once a grammar has found its mentions."""
