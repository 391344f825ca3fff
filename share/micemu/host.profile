# SPDX-License-Identifier: BSD-2-Clause
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PS1='micemu-host# '
