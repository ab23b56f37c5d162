# Fixture: a directory work/ with two files, for the listing context.
mkdir -p work && touch work/one.txt work/two.txt
