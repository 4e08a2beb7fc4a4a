"""Review by data stewards: an overrides store kept outside the published files, re-applied by
stable row keys on every run (`overrides`), and a small web app to review rows on their page (`app`)."""
