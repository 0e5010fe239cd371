import Foundation
import KefuModel

/// `kefu-bench codec`: encoding a `message.accepted` envelope with ``CompactJSONEncoder`` (what
/// `EnvelopeCodec` uses) against Foundation's `JSONEncoder` (what it used before), in the same process.
/// Exits 1 when the compact encoder is not faster or writes different JSON.
enum CodecBenchmark {
    static func main(_ arguments: [String]) -> Int32 {
        let count = arguments.first.flatMap(Int.init) ?? 200_000
        let envelope = EventEnvelope(source: "routing", data: MessageAccepted(
            sessionID: .random(), seq: 42, channel: "web", visitorID: "bench-visitor-1042", sender: .visitor,
            clientMessageID: "client-1042-7", content: .text("你好，我的订单还没发货，能帮我查一下吗？\"quoted\" \\ line\nbreak")))
        let reference = JSONEncoder()
        reference.outputFormatting = [.withoutEscapingSlashes]
        do {
            let compactBytes = try CompactJSONEncoder.encode(envelope)
            let referenceBytes = Array(try reference.encode(envelope))
            let same = try JSONDecoder().decode(JSONValue.self, from: Data(compactBytes))
                == JSONDecoder().decode(JSONValue.self, from: Data(referenceBytes))
            guard same else {
                print("kefu-bench codec: the two encoders wrote different JSON")
                return 1
            }
            var best = (compact: Double.infinity, reference: Double.infinity)
            for _ in 0..<3 {
                best.compact = min(best.compact, try measure(count) { try CompactJSONEncoder.encode(envelope) })
                best.reference = min(best.reference, try measure(count) { Array(try reference.encode(envelope)) })
            }
            print(String(format: "message.accepted (%d bytes) × %d: CompactJSONEncoder %.2f µs, JSONEncoder %.2f µs per envelope (%.1f× faster)",
                         compactBytes.count, count, best.compact, best.reference, best.reference / best.compact))
            return best.compact < best.reference ? 0 : 1
        } catch {
            print("kefu-bench codec: \(error)")
            return 1
        }
    }

    /// Microseconds per call of `body`, over `count` calls.
    private static func measure(_ count: Int, _ body: () throws -> [UInt8]) throws -> Double {
        var bytes = 0
        let start = ContinuousClock.now
        for _ in 0..<count { bytes &+= try body().count }
        let elapsed = ContinuousClock.now - start
        precondition(bytes > 0)
        return (Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12) / Double(count)
    }
}
