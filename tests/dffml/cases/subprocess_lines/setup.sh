# Fixture: a directory sub/ with two empty files, for the cwd context.
mkdir -p sub && touch sub/a.txt sub/b.txt
