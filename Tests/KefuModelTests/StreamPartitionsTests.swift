import KefuModel
import Testing

@Suite("Stream partitions: names, key and stable hash")
struct StreamPartitionsTests {
    @Test("one partition keeps today's names")
    func onePartition() throws {
        let names = try StreamNames(prefix: "kefu")
        #expect(names.partitionCount == 1)
        #expect(names.partitions(of: .events) == ["kefu:events"])
        #expect(names.partition(of: names.inbound, key: "s1") == "kefu:inbound")
        #expect(names.partition(3, of: names.commands) == "kefu:commands")
    }

    @Test("P partitions are named <prefix>:{p<i>}:<stream>, without the prefix's braces")
    func partitionNames() throws {
        let names = try StreamNames(prefix: "{kefu}", partitions: 4)
        #expect(names.partitions(of: .events) == ["kefu:{p0}:events", "kefu:{p1}:events", "kefu:{p2}:events", "kefu:{p3}:events"])
        #expect(names.partitions(of: names.requests(service: .store)).last == "kefu:{p3}:requests:store")
        #expect(names.deadLetter(of: names.partition(2, of: names.inbound)) == "kefu:{p2}:inbound:dead")
        #expect(try names.partitions(of: names.replies(instance: "gw-1")) == ["{kefu}:replies:gw-1"])
        #expect(names.partitions(of: names.signals) == ["{kefu}:signals"])
        #expect(names.partitionKey == "{kefu}:stream_partitions")
        let staging = try StreamNames(prefix: "staging:kefu", partitions: 2)
        #expect(staging.partition(1, of: staging.events) == "staging:kefu:{p1}:events")
    }

    @Test("partition counts outside 1...1024 are refused", arguments: [0, -1, 1025])
    func badCounts(count: Int) {
        #expect(throws: ContractError.self) { try StreamNames(prefix: "kefu", partitions: count) }
    }

    @Test("CRC-32 is zlib's")
    func crc() {
        #expect(StreamPartitions.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(StreamPartitions.crc32([UInt8]()) == 0)
    }

    @Test("the key is session_id, else visitor_id; entries with neither go to partition 0")
    func keys() {
        let message = #"{"id":"x","type":"visitor.message","data":{"channel":"web","visitor_id":"v-1","session_id":"8c0e2b9e-0000-4000-8000-000000000001","text":"\"session_id\":\"fake\""}}"#
        #expect(StreamPartitions.key(ofEnvelope: Array(message.utf8)).map { String(decoding: $0, as: UTF8.self) }
            == "8c0e2b9e-0000-4000-8000-000000000001")
        let visitorOnly = #"{"data": {"text": "\"session_id\": \"no\"", "visitor_id" : "v-42"}}"#
        #expect(StreamPartitions.key(ofEnvelope: Array(visitorOnly.utf8)).map { String(decoding: $0, as: UTF8.self) } == "v-42")
        #expect(StreamPartitions.key(ofEnvelope: Array(#"{"data":{"agent_id":"a"}}"#.utf8)) == nil)
        #expect(StreamPartitions.index(ofEnvelope: Array(#"{"data":{"agent_id":"a"}}"#.utf8), count: 8) == 0)
        #expect(StreamPartitions.index(ofEnvelope: Array(visitorOnly.utf8), count: 8) == StreamPartitions.index(ofKey: "v-42", count: 8))
    }

    @Test("the hash is stable and spreads keys over every partition")
    func spread() throws {
        let names = try StreamNames(prefix: "kefu", partitions: 6)
        #expect(StreamPartitions.index(ofKey: "v-42", count: 6) == 4, "Python: zlib.crc32(b'v-42') % 6 == 4")
        var used = Set<String>()
        for index in 0..<600 {
            let key = "visitor-\(index)"
            let envelope = Array(#"{"data":{"visitor_id":"\#(key)"}}"#.utf8)
            let stream = names.partition(of: names.inbound, envelope: envelope)
            #expect(stream == names.partition(of: names.inbound, key: key))
            used.insert(stream)
        }
        #expect(used == Set(names.partitions(of: .inbound)))
    }
}
