/* corpus.c -- see corpus.h. */
#define _POSIX_C_SOURCE 200809L /* opendir, strdup */
#include "corpus.h"
#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
by_path(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
add_dir(corpus *c, const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  if (d == NULL) {
    fprintf(stderr, "cannot open %s\n", dir);
    abort();
  }
  while ((e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    char *path;
    if (len < 5 || strcmp(e->d_name + len - 4, ".xml") != 0)
      continue;
    path = malloc(strlen(dir) + len + 2);
    if (path == NULL)
      abort();
    sprintf(path, "%s/%s", dir, e->d_name);
    c->paths = realloc(c->paths, (c->count + 1) * sizeof *c->paths);
    if (c->paths == NULL)
      abort();
    c->paths[c->count++] = path;
  }
  closedir(d);
}

void
corpus_load(corpus *c) {
  char dir[1024];
  c->paths = NULL;
  c->count = 0;
  add_dir(c, test_data_dir());
  test_path(dir, sizeof dir, conformance_dir(), "examples");
  add_dir(c, dir);
  test_path(dir, sizeof dir, conformance_dir(), "responses");
  add_dir(c, dir);
  qsort(c->paths, c->count, sizeof *c->paths, by_path);
}

void
corpus_free(corpus *c) {
  size_t i;
  for (i = 0; i < c->count; i++)
    free(c->paths[i]);
  free(c->paths);
  c->paths = NULL;
  c->count = 0;
}
