# Fixtures: git repositories made here with fixed authors and dates, no
# network.  repo/: branch main, commits from 2016-10 to 2019-05 by five
# authors (one with a colon in the name, one binary file), release tags
# v0.1, v1.0, v2_0-rc1 and a tag beta that is no release, and a branch
# side that main never sees.  broken/: HEAD names a branch that does
# not exist, so a clone has no origin/HEAD.  plain/: not a repository.
# corrupt/: repo/ with the blob of a.txt at main removed, so git
# ls-remote succeeds and git clone fails.
# Commits are at noon UTC in the middle of a month, far from the
# quarter boundaries (the 29th), so the local time zone does not matter.
set -e
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_COMMITTER_NAME=Committer GIT_COMMITTER_EMAIL=committer@example.com
commit() {  # date author file lines [binary]
	if [ "$5" = binary ]; then
		printf '\000\001\002%s' "$1" >"$3"
	else
		i=0
		while [ $i -lt "$4" ]; do echo "$2 $1 $i"; i=$((i + 1)); done >>"$3"
	fi
	git add "$3"
	GIT_AUTHOR_DATE="$1T12:00:00+0000" GIT_COMMITTER_DATE="$1T12:00:00+0000" \
	GIT_AUTHOR_NAME="$2" GIT_AUTHOR_EMAIL="$(echo "$2" | tr -cd 'a-zA-Z')@example.com" \
	git commit -q -m "$3 by $2 on $1"
}
git init -q -b main repo
cd repo
commit 2016-10-15 Alice a.txt 10
git tag v0.1
commit 2016-11-15 Bob b.txt 5
commit 2017-02-15 Alice a.txt 3
commit 2017-05-15 Carol img.bin 0 binary
commit 2017-05-16 Carol c.txt 4
GIT_COMMITTER_DATE=2017-05-16T12:00:00+0000 git tag -a -m beta beta
commit 2017-08-15 "Dave: the Builder" d.txt 7
commit 2017-11-15 Bob b.txt 2
GIT_COMMITTER_DATE=2017-11-15T12:00:00+0000 git tag -a -m "one" v1.0
commit 2018-04-15 Alice a.txt 20
commit 2018-04-16 Bob b.txt 20
commit 2018-10-15 Carol c.txt 1
git tag v2_0-rc1
commit 2019-01-15 Alice a.txt 6
commit 2019-01-16 Bob b.txt 6
commit 2019-01-17 Carol c.txt 6
git checkout -q -b side
commit 2019-02-15 Erin e.txt 50
git checkout -q main
commit 2019-05-01 Erin e.txt 9
cd ..
git init -q -b main broken
cd broken
commit 2018-01-15 Alice a.txt 1
git symbolic-ref HEAD refs/heads/gone
cd ..
mkdir plain
cp -R repo corrupt
blob=$(git -C corrupt rev-parse main:a.txt)
rm "corrupt/.git/objects/$(echo "$blob" | cut -c1-2)/$(echo "$blob" | cut -c3-)"
