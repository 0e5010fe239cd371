import KefuModel
import RedisStreams

/// The `webhooks` consumer group on `kefu:events`: each batch becomes delivery rows with one set-based
/// insert (matching endpoints joined in the same statement), then the endpoints that got rows are woken.
struct WebhookConsumer: StreamHandler {
    /// The group's name.
    static let group = ConsumerGroups.webhooks

    let store: WebhookStore
    let dispatcher: WebhookDispatcher

    /// An event to deliver, or nil for entries that are not events of `kefu:events` (acknowledged).
    func decode(_ entry: StreamEntry) throws -> WebhookEvent? {
        let raw = try EnvelopeCodec.eventValue(of: entry.fields)
        let header: EnvelopeHeader
        do {
            header = try EnvelopeCodec.decodeHeader(raw)
        } catch ContractError.unknownType {
            return nil
        }
        guard header.type.stream == .events, !header.type.isStaffOnly else { return nil }
        return try WebhookEvent(header: header, raw: raw)
    }

    func handle(_ batch: [StreamMessage<WebhookEvent?>]) async throws {
        let events = batch.compactMap(\.message)
        guard !events.isEmpty else { return }
        let endpoints = try await store.insert(events)
        if !endpoints.isEmpty { await dispatcher.wake(endpoints) }
    }
}
