/* Writing a file so that a reader, or the file after a crash, is the old
 * content or the new, never a part: notes rewritten by `policylink link
 * --in-place`, glossary pages, the editor's exports. */
#ifndef PL_FILE_H
#define PL_FILE_H

#include <stddef.h>

#include "error.h"

/* Replaces the file at path with data[0..len): writes a temporary file
 * beside it (path + ".policylink-PID-N.tmp", the same file system), syncs
 * it to disk, renames it over path and syncs the folder. An existing file
 * keeps its permission bits (a new one gets 0666 less the umask); a
 * symbolic link is followed, so the file it points to is replaced and the
 * link stays. The caller keeps ownership of path and data.
 * Returns PL_OK, or PL_ERR_IO with "cannot write 'PATH': reason" (the
 * folder is missing or read-only, the disk is full, path is a folder…), in
 * which case path is untouched and no temporary file is left;
 * PL_ERR_INVALID_ARGUMENT for a NULL or empty path or NULL data with len > 0. */
pl_status pl_file_write_atomic(const char *path, const char *data, size_t len, pl_error *err);

#endif
