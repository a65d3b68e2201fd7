/* main.c -- the minimal firmware docs/firmware.md builds (its Makefile and
 * CMake examples; tests/firmware_guide.sh runs both under QEMU): decodes
 * the response named by its first argument, read 64 bytes at a time as
 * from a UART, with the decoder and its arena in static memory, and prints
 * a line per job (its handle, its tasks and items, its progress) that the
 * test compares with what the host's tpdump decodes. Start-up and I/O are
 * those of mcu/ (startup.c, semihost.c). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <taskprogress.h>

/* What is kept of the job being decoded: fields come in document order,
 * so the line is printed at the job's end. */
struct job {
  char handle[64];
  size_t handle_len;
  unsigned long tasks;
  unsigned long items;
  long progress;
};

static int
on_begin(void *user_data, tp_node node) {
  struct job *job = user_data;
  if (node == TP_NODE_JOB)
    memset(job, 0, sizeof *job);
  else if (node == TP_NODE_TASK)
    job->tasks++;
  else if (node == TP_NODE_ITEM)
    job->items++;
  return 0;
}

static int
on_end(void *user_data, tp_node node) {
  const struct job *job = user_data;
  if (node == TP_NODE_JOB)
    printf("job %.*s: %lu tasks, %lu items, progress %ld\n",
           (int)job->handle_len, job->handle, job->tasks, job->items,
           job->progress);
  return 0;
}

/* A string arrives in fragments; a handle longer than the buffer is cut,
 * which the comparison with the host would show. */
static int
on_field(void *user_data, const tp_field *field) {
  struct job *job = user_data;
  if (field->id == TP_JOB_JOB_HANDLE) {
    size_t room = sizeof job->handle - job->handle_len;
    size_t n = field->len < room ? field->len : room;
    memcpy(job->handle + job->handle_len, field->str, n);
    job->handle_len += n;
  } else if (field->id == TP_JOB_PROGRESS) {
    job->progress = field->value.i;
  }
  return 0;
}

/* Built with -mfloat-abi=hard (or softfp), the core must be allowed to use
 * the FPU before the first floating-point instruction, or that
 * instruction faults (UsageFault, NOCP): the reset value of CPACR denies
 * it. Nothing before main uses it here. */
static void
fpu_enable(void) {
#if defined(__ARM_FP)
  /* CPACR (0xE000ED88): full access to CP10 and CP11, the FPU. */
  *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
}

static tp_decoder decoder;
static unsigned char arena[TP_ARENA_RECOMMENDED_SIZE];

static int
decode(const char *path) {
  static const tp_callbacks callbacks = {on_begin, on_end, on_field};
  static struct job job;
  unsigned char chunk[64];
  tp_config config;
  tp_status st;
  size_t n;
  FILE *f = fopen(path, "rb");

  if (f == NULL) {
    fprintf(stderr, "guide: cannot open %s\n", path);
    return 1;
  }
  tp_config_init(&config);
  config.callbacks = &callbacks;
  config.user_data = &job;
  config.arena = arena;
  config.arena_size = sizeof arena;
  st = tp_init(&decoder, &config);
  while (st == TP_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
    st = tp_feed(&decoder, chunk, n);
  if (st == TP_OK)
    st = tp_finish(&decoder);
  tp_release(&decoder);
  fclose(f);
  if (st != TP_OK) {
    fprintf(stderr, "guide: %s: %s\n", path, tp_strerror(st));
    return 1;
  }
  return 0;
}

int
main(int argc, char **argv) {
  fpu_enable();
  if (argc != 2) {
    fprintf(stderr, "usage: guide RESPONSE.xml\n");
    return 2;
  }
  return decode(argv[1]);
}
