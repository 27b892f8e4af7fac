/*
 * A sensor peer in C (libzmq + protobuf-c): publishes synthetic SpikeSamples to a Replay4NCL
 * node and reads back the node's Predictions.
 *
 *   ./build/sensor <spikes endpoint> <output endpoint> [namespace] [count] [classes]
 *
 * Class k fires channels [70k, 70k + 70) (the pattern the Swift and Python tests use), so a
 * node that knows those classes predicts them. Each sample is sent once the previous one's
 * prediction is back (or 1 s passed), so the printed latency is publish -> prediction, not time
 * spent queued behind earlier samples. Exit status 0 when every sample got its prediction, 1
 * otherwise, 2 on a setup error.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "r4ncl/v1/prediction.pb-c.h"
#include "r4ncl/v1/spikes.pb-c.h"

#define EVENTS 60

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static double monotonic(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Waits for a subscription matching `topic` on an XPUB socket (the slow-joiner handshake). */
static int wait_for_subscriber(void *xpub, const char *topic, int timeout_ms) {
  double deadline = monotonic() + timeout_ms / 1000.0;
  while (monotonic() < deadline) {
    zmq_pollitem_t item = {xpub, 0, ZMQ_POLLIN, 0};
    if (zmq_poll(&item, 1, 50) > 0) {
      unsigned char frame[256];
      int n = zmq_recv(xpub, frame, sizeof frame, 0);
      if (n >= 1 && frame[0] == 1 && (size_t)(n - 1) <= strlen(topic) && memcmp(frame + 1, topic, n - 1) == 0)
        return 1;
    }
  }
  return 0;
}

/* Waits for one message on `socket` (a status heartbeat) to know the subscription is live. */
static int wait_for_message(void *socket, int timeout_ms) {
  zmq_pollitem_t item = {socket, 0, ZMQ_POLLIN, 0};
  return zmq_poll(&item, 1, timeout_ms) > 0;
}

/* What the sensor knows of its samples and their predictions. */
struct tally {
  const char *pred_topic;
  int count, received, correct;
  int *truth, *answered;
  double *latency_ms;
};

/* Waits up to timeout_ms for one message on `sub`; records it if it is a new prediction of ours.
   Returns 1 when a message was read. */
static int receive_one(void *sub, struct tally *t, int timeout_ms) {
  zmq_pollitem_t item = {sub, 0, ZMQ_POLLIN, 0};
  if (zmq_poll(&item, 1, timeout_ms) <= 0) return 0;
  zmq_msg_t topic, payload;
  zmq_msg_init(&topic);
  zmq_msg_init(&payload);
  zmq_msg_recv(&topic, sub, 0);
  if (zmq_msg_more(&topic)) zmq_msg_recv(&payload, sub, 0);
  int64_t arrived = now_ns();
  size_t n = strlen(t->pred_topic);
  R4ncl__V1__Prediction *p = NULL;
  if (zmq_msg_size(&topic) == n && memcmp(zmq_msg_data(&topic), t->pred_topic, n) == 0)
    p = r4ncl__v1__prediction__unpack(NULL, zmq_msg_size(&payload), zmq_msg_data(&payload));
  if (p && strcmp(p->sensor, "csensor") == 0 && p->sequence >= 1 && p->sequence <= (uint64_t)t->count &&
      !t->answered[p->sequence]) {
    t->answered[p->sequence] = 1;
    t->received++;
    t->correct += p->class_id == t->truth[p->sequence];
    double ms = (arrived - p->sample_sent_time_ns) / 1e6;
    t->latency_ms[t->received - 1] = ms;
    printf("prediction seq=%llu class=%d (%s) truth=%d model=v%llu publish->prediction %.3f ms\n",
           (unsigned long long)p->sequence, p->class_id, p->class_name, t->truth[p->sequence],
           (unsigned long long)p->model_version, ms);
  }
  if (p) r4ncl__v1__prediction__free_unpacked(p, NULL);
  zmq_msg_close(&topic);
  zmq_msg_close(&payload);
  return 1;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <spikes endpoint> <output endpoint> [namespace] [count] [classes]\n", argv[0]);
    return 2;
  }
  const char *ns = argc > 3 ? argv[3] : "r4ncl";
  int count = argc > 4 ? atoi(argv[4]) : 12;
  int classes = argc > 5 ? atoi(argv[5]) : 3;
  char spikes_topic[256], pred_topic[256], status_topic[256];
  snprintf(spikes_topic, sizeof spikes_topic, "%s/spikes/csensor", ns);
  snprintf(pred_topic, sizeof pred_topic, "%s/pred", ns);
  snprintf(status_topic, sizeof status_topic, "%s/status", ns);

  void *ctx = zmq_ctx_new();
  void *pub = zmq_socket(ctx, ZMQ_XPUB);
  void *sub = zmq_socket(ctx, ZMQ_SUB);
  int linger = 2000, zero = 0;
  zmq_setsockopt(pub, ZMQ_LINGER, &linger, sizeof linger);
  zmq_setsockopt(sub, ZMQ_LINGER, &zero, sizeof zero);
  if (zmq_connect(pub, argv[1]) != 0 || zmq_connect(sub, argv[2]) != 0) {
    fprintf(stderr, "csensor: connect failed: %s\n", zmq_strerror(zmq_errno()));
    return 2;
  }
  /* Subscribe to predictions first, then status: the node applies subscriptions of one
     connection in order, so once a status arrives the prediction subscription is live. */
  zmq_setsockopt(sub, ZMQ_SUBSCRIBE, pred_topic, strlen(pred_topic));
  zmq_setsockopt(sub, ZMQ_SUBSCRIBE, status_topic, strlen(status_topic));
  if (!wait_for_subscriber(pub, spikes_topic, 10000) || !wait_for_message(sub, 10000)) {
    fprintf(stderr, "csensor: the node did not show up\n");
    return 2;
  }

  struct tally t = {pred_topic, count, 0, 0, calloc(count + 1, sizeof(int)), calloc(count + 1, sizeof(int)),
                    calloc(count + 1, sizeof(double))};
  unsigned seed = 12345;
  for (int i = 1; i <= count; i++) {
    int k = (i - 1) % classes;
    float times[EVENTS];
    uint32_t units[EVENTS];
    for (int e = 0; e < EVENTS; e++) {
      seed = seed * 1103515245u + 12345u;
      times[e] = e * 0.01f;
      units[e] = 70 * k + (seed >> 16) % 70;
    }
    R4ncl__V1__SpikeSample msg = R4NCL__V1__SPIKE_SAMPLE__INIT;
    msg.sensor = "csensor";
    msg.sequence = i;
    msg.sent_time_ns = now_ns();
    msg.n_times = EVENTS;
    msg.times = times;
    msg.n_units = EVENTS;
    msg.units = units;
    msg.channel_count = 700;
    msg.label_value_case = R4NCL__V1__SPIKE_SAMPLE__LABEL_VALUE_LABEL;
    msg.label = k;
    t.truth[i] = k;
    size_t size = r4ncl__v1__spike_sample__get_packed_size(&msg);
    uint8_t *buffer = malloc(size);
    r4ncl__v1__spike_sample__pack(&msg, buffer);
    zmq_send(pub, spikes_topic, strlen(spikes_topic), ZMQ_SNDMORE);
    zmq_send(pub, buffer, size, 0);
    free(buffer);
    double until = monotonic() + 1;
    while (!t.answered[i] && monotonic() < until) receive_one(sub, &t, 100);
  }
  printf("csensor: sent %d samples on %s\n", count, spikes_topic);

  double deadline = monotonic() + 10;
  while (t.received < count && monotonic() < deadline) receive_one(sub, &t, 100);
  printf("csensor: %d/%d predictions received, %d correct\n", t.received, count, t.correct);
  if (t.received > 0) {
    qsort(t.latency_ms, t.received, sizeof(double), compare_doubles);
    printf("csensor: publish->prediction p50 %.3f ms, max %.3f ms\n", t.latency_ms[(t.received - 1) / 2],
           t.latency_ms[t.received - 1]);
  }
  free(t.truth);
  free(t.answered);
  free(t.latency_ms);
  zmq_close(pub);
  zmq_close(sub);
  zmq_ctx_term(ctx);
  return t.received == count ? 0 : 1;
}
