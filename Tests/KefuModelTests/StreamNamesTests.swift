import KefuModel
import Testing

@Suite("Stream names, groups and dead letters")
struct StreamNamesTests {
    @Test("default names")
    func defaults() throws {
        let names = StreamNames.standard
        #expect(names.inbound == "kefu:inbound")
        #expect(names.commands == "kefu:commands")
        #expect(names.events == "kefu:events")
        #expect(names.requests(service: .knowledge) == "kefu:requests:knowledge")
        #expect(try names.replies(instance: "gateway-a1") == "kefu:replies:gateway-a1")
        #expect(names.deadLetter(of: names.inbound) == "kefu:inbound:dead")
        #expect(try StreamNames() == names)
    }

    @Test("custom prefixes", arguments: ["test-3f2a", "kefu:t1", "{kefu}", "staging:{kefu}"])
    func customPrefix(prefix: String) throws {
        let names = try StreamNames(prefix: prefix)
        #expect(names.events == prefix + ":events")
    }

    @Test("rejected prefixes", arguments: ["", "Kefu", "kefu:", ":kefu", "ke fu", "{a}:{b}", "{}", "kefu:inbound*",
                                           String(repeating: "k", count: 65)])
    func badPrefix(prefix: String) {
        #expect(throws: ContractError.self) { try StreamNames(prefix: prefix) }
    }

    @Test("rejected instance names", arguments: ["", "Gateway", "a b", "gw:1"])
    func badInstance(instance: String) {
        #expect(throws: ContractError.self) { try StreamNames.standard.replies(instance: instance) }
    }

    @Test("who reads what")
    func subscriptions() throws {
        let names = StreamNames.standard
        #expect(ConsumerGroups.subscriptions(for: .routing, names: names) == [
            StreamSubscription(stream: "kefu:inbound", group: "routing"),
            StreamSubscription(stream: "kefu:commands", group: "routing"),
            StreamSubscription(stream: "kefu:requests:routing", group: "routing"),
        ])
        #expect(ConsumerGroups.subscriptions(for: .gateway, names: names) == [StreamSubscription(stream: "kefu:events", group: nil)])
        #expect(ConsumerGroups.subscriptions(for: .knowledge, names: names) == [
            StreamSubscription(stream: "kefu:events", group: "knowledge"),
            StreamSubscription(stream: "kefu:requests:knowledge", group: "knowledge"),
        ])
        for service in [ServiceName.store, .reporting, .knowledge] {
            #expect(ConsumerGroups.subscriptions(for: service, names: names).first == StreamSubscription(stream: "kefu:events", group: service.rawValue))
        }
        #expect(ConsumerGroups.group(for: .gateway) == nil)
        #expect(try ConsumerGroups.connector(channel: "wechat") == "connector-wechat")
        #expect(throws: ContractError.self) { try ConsumerGroups.connector(channel: "WeChat") }
    }

    @Test("every entry type's stream is read by some group")
    func everyStreamHasReaders() {
        let names = StreamNames.standard
        let read = Set(ServiceName.allCases.flatMap { ConsumerGroups.subscriptions(for: $0, names: names) }.map(\.stream))
        for type in EventType.allCases {
            switch type.stream {
            case .anyRequests:
                for service in ServiceName.allCases where service.hasRequestStream {
                    #expect(read.contains(names.requests(service: service)), "nobody reads \(service) requests")
                }
            case .replyTo:
                #expect(read.contains(names.commands), "routing's replies arrive on commands")
            default:
                #expect(read.contains(names.name(of: type.stream)), "nobody reads \(type.rawValue)")
            }
        }
    }

    @Test("dead-letter fields round trip")
    func deadLetter() throws {
        let record = DeadLetter(
            reason: DeadLetter.reason(for: .unknownType("x")), originalID: "1764057600123-0", stream: "kefu:inbound",
            group: "routing", consumer: "routing-host1-0", deliveries: 1, at: Samples.time
        )
        let fields = record.fields
        #expect(fields.map(\.name) == ["dead.reason", "dead.original_id", "dead.stream", "dead.group", "dead.consumer",
                                       "dead.deliveries", "dead.at"])
        let parsed = try DeadLetter(fields: Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.value) }))
        #expect(parsed == record)
        #expect(throws: ContractError.missingField("dead.at")) {
            try DeadLetter(fields: ["dead.deliveries": "1"])
        }
    }
}
