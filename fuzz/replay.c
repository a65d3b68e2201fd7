/* replay.c -- runs one harness's LLVMFuzzerTestOneInput over its seed
 * corpus and regression inputs without libFuzzer, for make check:
 *   replay-NAME [FILE|DIR]...
 * Without arguments it reads the seeds make check writes into the build
 * tree, $abs_top_builddir/fuzz/corpus/NAME (fuzz/make-corpus.py builds
 * them from the test data), and the kept inputs,
 * $srcdir/fuzz/regressions/NAME (NAME is FUZZ_HARNESS, set at build time).
 * A finding aborts, so the test fails and names the input last printed.
 * Without the seeds (no python3 to write them) it replays the regressions
 * and exits 77, skipped: it did not replay everything. */
#define _POSIX_C_SOURCE 200809L /* opendir, stat */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#ifndef FUZZ_HARNESS
#error "FUZZ_HARNESS must name the harness"
#endif

static unsigned long replayed;

static unsigned char *
slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  unsigned char *buf = NULL;
  size_t cap = 0, n = 0;
  if (f == NULL)
    return NULL;
  for (;;) {
    size_t got;
    if (cap - n < 4096) {
      cap = cap ? cap * 2 : 8192;
      buf = realloc(buf, cap);
      if (buf == NULL) {
        fclose(f);
        return NULL;
      }
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0)
      break;
  }
  fclose(f);
  *len = n;
  return buf;
}

static int
replay_file(const char *path) {
  size_t len = 0;
  unsigned char *data = slurp(path, &len);
  if (data == NULL) {
    fprintf(stderr, "cannot read %s\n", path);
    return 1;
  }
  /* Printed first: if the harness aborts, the log ends with the culprit. */
  printf("%s (%zu bytes)\n", path, len);
  fflush(stdout);
  (void)LLVMFuzzerTestOneInput(data, len);
  free(data);
  replayed++;
  return 0;
}

static int
by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file in `dir`, in name order (stable logs); READMEs and
 * dot files are documentation, not inputs. */
static int
replay_dir(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char **names = NULL;
  size_t count = 0, i;
  int failed = 0;
  if (d == NULL) {
    fprintf(stderr, "cannot open %s\n", dir);
    return 1;
  }
  while ((e = readdir(d)) != NULL) {
    char **grown;
    if (e->d_name[0] == '.' || strncmp(e->d_name, "README", 6) == 0)
      continue;
    grown = realloc(names, (count + 1) * sizeof *names);
    if (grown == NULL)
      abort();
    names = grown;
    names[count] = malloc(strlen(dir) + strlen(e->d_name) + 2);
    if (names[count] == NULL)
      abort();
    sprintf(names[count], "%s/%s", dir, e->d_name);
    count++;
  }
  closedir(d);
  if (count > 0)
    qsort(names, count, sizeof *names, by_name);
  for (i = 0; i < count; i++) {
    struct stat sb;
    if (stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode))
      failed |= replay_file(names[i]);
    free(names[i]);
  }
  free(names);
  return failed;
}

static int
replay_path(const char *path) {
  struct stat sb;
  if (stat(path, &sb) != 0) {
    fprintf(stderr, "cannot find %s\n", path);
    return 1;
  }
  return S_ISDIR(sb.st_mode) ? replay_dir(path) : replay_file(path);
}

int
main(int argc, char **argv) {
  int failed = 0, no_seeds = 0, i;
  if (argc > 1) {
    for (i = 1; i < argc; i++)
      failed |= replay_path(argv[i]);
  } else {
    /* make check exports both; a VPATH or distcheck build finds the
     * regressions in the source tree and the seeds in the build tree. */
    const char *tops[2];
    static const char *const kinds[] = {"corpus", "regressions"};
    size_t k;
    tops[0] = getenv("abs_top_builddir");
    tops[1] = getenv("srcdir");
    for (k = 0; k < 2; k++) {
      char dir[4096];
      struct stat sb;
      int n;
      if (tops[k] == NULL || *tops[k] == '\0')
        tops[k] = ".";
      n = snprintf(dir, sizeof dir, "%s/fuzz/%s/%s", tops[k], kinds[k],
                   FUZZ_HARNESS);
      if (n < 0 || (size_t)n >= sizeof dir) {
        fprintf(stderr, "path too long\n");
        return 1;
      }
      if (k == 0 && stat(dir, &sb) != 0) {
        printf("no seed corpus in %s (make check writes it with "
               "fuzz/make-corpus.py, which needs python3): skipped, "
               "only the regressions replayed\n",
               dir);
        no_seeds = 1;
        continue;
      }
      failed |= replay_dir(dir);
    }
  }
  printf("%s: %lu inputs replayed%s\n", FUZZ_HARNESS, replayed,
         failed ? ", some unreadable" : "");
  if (failed)
    return 1;
  return no_seeds ? 77 : 0;
}
