/// One stream a service reads, and how.
public struct StreamSubscription: Sendable, Hashable {
    /// The stream name.
    public let stream: String
    /// The consumer group; nil means the reader tails the stream with `XREAD` (every instance sees all).
    public let group: String?

    /// Creates a subscription.
    public init(stream: String, group: String?) {
        self.stream = stream
        self.group = group
    }
}

/// Consumer group names and who reads what. A group is named after the service, so instances of one
/// service share the work and different services each see every entry.
public enum ConsumerGroups {
    /// Routing's group on inbound, commands and `requests:routing`.
    public static let routing = "routing"
    /// Store's group on events and `requests:store`.
    public static let store = "store"
    /// Knowledge's group on `events` (smart assist) and `requests:knowledge`.
    public static let knowledge = "knowledge"
    /// Reporting's group on events and `requests:reporting`.
    public static let reporting = "reporting"
    /// The gateway's webhook deliveries on `events` (beside its group-less tail).
    public static let webhooks = "webhooks"

    /// The group a service uses; the gateway has none (it tails events and reads its own reply stream).
    public static func group(for service: ServiceName) -> String? {
        switch service {
        case .gateway: nil
        case .routing: routing
        case .store: store
        case .knowledge: knowledge
        case .reporting: reporting
        }
    }

    /// The group a channel connector should use on the events stream, e.g. `connector-wechat`.
    public static func connector(channel: String) throws(ContractError) -> String {
        do {
            try FieldRules.channel(channel)
        } catch {
            throw .invalidName(channel, reason: "a channel must match ^[a-z0-9][a-z0-9_-]{0,63}$")
        }
        return "connector-" + channel
    }

    /// The shared streams a service reads. The gateway additionally reads
    /// ``StreamNames/replies(instance:)`` for its own instance, without a group.
    public static func subscriptions(for service: ServiceName, names: StreamNames) -> [StreamSubscription] {
        let group = group(for: service)
        let own = service.hasRequestStream ? [StreamSubscription(stream: names.requests(service: service), group: group)] : []
        switch service {
        case .gateway:
            return [StreamSubscription(stream: names.events, group: nil)]
        case .routing:
            return [
                StreamSubscription(stream: names.inbound, group: group),
                StreamSubscription(stream: names.commands, group: group),
            ] + own
        case .store, .reporting, .knowledge:
            return [StreamSubscription(stream: names.events, group: group)] + own
        }
    }
}
