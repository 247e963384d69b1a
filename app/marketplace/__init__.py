"""The public marketplace: search and browse projects, sign up, my shifts and sign-ups."""
