/* taskprogress_version.h -- the version of taskprogress.h, which includes
 * this: include that one.
 * Written by lib/genfields.py from VERSION: edit there. */
#ifndef TASKPROGRESS_VERSION_H
#define TASKPROGRESS_VERSION_H

#define TP_VERSION_MAJOR 0
#define TP_VERSION_MINOR 1
#define TP_VERSION_MICRO 0

#endif /* TASKPROGRESS_VERSION_H */
