import Foundation

/// CPU time consumed so far, for measurements on a shared machine: unlike wall time it excludes
/// the time the scheduler gave the cores to other processes.
public enum CPUClock {
  /// Seconds of CPU time used by the calling thread.
  public static func thread() -> Double { seconds(CLOCK_THREAD_CPUTIME_ID) }

  /// Seconds of CPU time used by this process (all threads).
  public static func process() -> Double { seconds(CLOCK_PROCESS_CPUTIME_ID) }

  private static func seconds(_ clock: clockid_t) -> Double {
    var t = timespec()
    clock_gettime(clock, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
  }
}
