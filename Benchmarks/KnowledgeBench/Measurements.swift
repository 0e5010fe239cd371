import Foundation

/// Process memory from /proc and percentile formatting.
enum Measurements {
    /// A kB field of `/proc/<pid>/status` (`VmRSS`, `VmHWM`) in MiB; nil where /proc is unavailable.
    static func mebibytes(_ field: String, pid: Int32? = nil) -> Double? {
        let path = pid.map { "/proc/\($0)/status" } ?? "/proc/self/status"
        guard let status = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            if let kilobytes = line.split(separator: " ").compactMap({ Double($0) }).first { return kilobytes / 1024 }
        }
        return nil
    }

    /// CPU time of the calling thread, in nanoseconds (unaffected by preemption on a busy host).
    static func threadCPUNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// `p50 …, p99 …, max …`.
    static func percentiles(_ samples: [Duration]) -> String {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return "no samples" }
        func at(_ fraction: Double) -> Duration { sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))] }
        return "p50 \(format(at(0.5))), p99 \(format(at(0.99))), max \(format(sorted[sorted.count - 1]))"
    }

    static func format(_ duration: Duration) -> String {
        let milliseconds = Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
        return milliseconds >= 1_000 ? String(format: "%.2f s", milliseconds / 1_000) : String(format: "%.3f ms", milliseconds)
    }

    static func format(_ mebibytes: Double?) -> String {
        mebibytes.map { String(format: "%.1f MiB", $0) } ?? "n/a"
    }

    static var loadAverage: String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "n/a"
    }
}
