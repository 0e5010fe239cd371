/// A position in an API channel's feed: one events-stream id per partition of the events stream
/// (`KEFU_STREAM_PARTITIONS`). Written as the id itself with one partition, and as the ids in partition
/// order joined by commas with several (`1764057600123-0,1764057600120-4,0-0,1764057599870-1`).
struct FeedCursor: Sendable, Equatable, CustomStringConvertible {
    /// One id per partition, in partition order.
    private(set) var ids: [StreamID]

    /// The same id in every partition.
    init(repeating id: StreamID, partitions: Int) {
        ids = Array(repeating: id, count: partitions)
    }

    /// One id per partition.
    init(ids: [StreamID]) {
        self.ids = ids
    }

    /// Parses a presented cursor for a feed over `partitions` streams: as many ids as partitions, or a single
    /// id (`0` included) that then stands for every partition — stream ids are times, so a cursor kept from
    /// a deployment with one partition resumes from the same moment after it was partitioned. Nil for
    /// anything else.
    init?(_ text: String, partitions: Int) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == partitions else { return nil }
        var ids: [StreamID] = []
        for part in parts {
            guard let id = StreamID(String(part)) else { return nil }
            ids.append(id)
        }
        self.ids = ids.count == partitions ? ids : Array(repeating: ids[0], count: partitions)
    }

    /// Moves partition `index` to `id`.
    mutating func advance(_ index: Int, to id: StreamID) {
        ids[index] = id
    }

    var description: String { ids.map(\.description).joined(separator: ",") }
}
