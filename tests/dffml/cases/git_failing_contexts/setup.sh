# The fixtures of git_maintained_cgi_bin (repo/, broken/, plain/).
. "$(dirname "$0")/../git_maintained_cgi_bin/setup.sh"
