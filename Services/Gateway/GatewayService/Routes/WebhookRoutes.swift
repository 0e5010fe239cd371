import Foundation
import Hummingbird
import KefuModel

extension Gateway {
    /// The webhook admin API: `/api/v1/admin/webhooks…` (admins only).
    func addWebhookRoutes(_ router: Router<GatewayRequestContext>) {
        let api = RouteGroup(router: router, prefix: "/api/v1/admin/webhooks", catalog: catalog)
        api.get("") { request, _ in
            _ = try await staff(request, admin: true)
            return try jsonResponse(WebhookList(items: try await webhooks.store.list(), eventTypes: WebhookEventTypes.all))
        }
        api.post("") { request, _ in
            let staff = try await staff(request, admin: true)
            let body = try await RequestBody.decode(NewWebhookEndpoint.self, from: request, limit: gateway.maxJSONBytes)
            let types = try checkedEventTypes(body.eventTypes)
            let channels = try checkedChannels(body.channels ?? [])
            let description = try checkedDescription(body.description ?? "")
            let timeout = try checkedTimeout(body.timeoutMs ?? webhooks.settings.defaultTimeoutMilliseconds)
            let url = try await checkedURL(body.url)
            let (endpoint, secret) = try await webhooks.store.create(
                url: url, eventTypes: types, channels: channels, description: description, timeoutMs: timeout,
                enabled: body.enabled ?? true, by: staff.agentID.uuid)
            return try jsonResponse(WebhookEndpointWithSecret(endpoint: endpoint, secret: secret), status: .created)
        }
        api.get(":endpoint_id") { request, context in
            _ = try await staff(request, admin: true)
            return try jsonResponse(try await endpoint(endpointID(context)))
        }
        api.patch(":endpoint_id") { request, context in
            _ = try await staff(request, admin: true)
            let id = try endpointID(context)
            var changes = try await RequestBody.decode(WebhookEndpointChanges.self, from: request, limit: gateway.maxJSONBytes)
            if let types = changes.eventTypes { changes.eventTypes = try checkedEventTypes(types) }
            if let channels = changes.channels { changes.channels = try checkedChannels(channels) }
            if let description = changes.description { changes.description = try checkedDescription(description) }
            if let timeout = changes.timeoutMs { changes.timeoutMs = try checkedTimeout(timeout) }
            if let url = changes.url { changes.url = try await checkedURL(url) }
            guard let updated = try await webhooks.store.update(id, changes) else { throw unknownEndpoint(id) }
            if updated.enabled { await webhooks.dispatcher.wake([id]) }
            return try jsonResponse(updated)
        }
        api.post(":endpoint_id/rotate-secret") { request, context in
            _ = try await staff(request, admin: true)
            let id = try endpointID(context)
            guard let (endpoint, secret) = try await webhooks.store.rotateSecret(id) else { throw unknownEndpoint(id) }
            return try jsonResponse(WebhookEndpointWithSecret(endpoint: endpoint, secret: secret))
        }
        api.get(":endpoint_id/deliveries") { request, context in
            _ = try await staff(request, admin: true)
            let id = try endpointID(context)
            _ = try await endpoint(id)
            let status = request.query("status")
            if let status, !["pending", "failed", "delivered", "dead", "blocked"].contains(status) {
                throw APIError.badRequest("invalid_params", "`status` must be pending, failed, delivered, dead or blocked")
            }
            let params = try queryParams(request, ints: ["before", "limit"])
            let limit = params["limit"]?.intValue ?? 50
            guard (1...200).contains(limit) else { throw APIError.badRequest("invalid_params", "`limit` must be 1 to 200") }
            let items = try await webhooks.store.deliveries(
                endpoint: id, status: status, before: params["before"]?.intValue.map(Int64.init), limit: limit)
            return try jsonResponse(WebhookDeliveryList(items: items, nextBefore: items.count == limit ? items.last?.id : nil))
        }
        api.post(":endpoint_id/deliveries/:delivery_id/retry") { request, context in
            _ = try await staff(request, admin: true)
            let id = try endpointID(context)
            guard let text = context.parameters.get("delivery_id"), let delivery = Int64(text), delivery > 0 else {
                throw APIError.badRequest("invalid_params", "`delivery_id` must be a delivery's id")
            }
            guard let retried = try await webhooks.store.retry(endpoint: id, delivery: delivery) else {
                throw APIError.notFound("unknown_delivery", "no delivery \(delivery) of endpoint \(id) that can be retried now")
            }
            await webhooks.dispatcher.wake([id])
            return try jsonResponse(retried)
        }
        api.post(":endpoint_id/replay") { request, context in
            _ = try await staff(request, admin: true)
            let id = try endpointID(context)
            let body = try await RequestBody.decode(WebhookReplay.self, from: request, limit: gateway.maxJSONBytes)
            guard body.from < body.to else { throw APIError.badRequest("invalid_field", "`from` must be before `to`") }
            _ = try await endpoint(id)
            let count = try await webhooks.store.replay(
                endpoint: id, from: body.from.date, to: body.to.date, includeDelivered: body.includeDelivered ?? false)
            await webhooks.dispatcher.wake([id])
            return try jsonResponse(["queued": count])
        }
    }

    private func endpointID(_ context: GatewayRequestContext) throws -> UUID {
        guard let text = context.parameters.get("endpoint_id"), let id = UUID(uuidString: text) else {
            throw APIError.badRequest("invalid_params", "`endpoint_id` must be a UUID")
        }
        return id
    }

    private func endpoint(_ id: UUID) async throws -> WebhookEndpoint {
        guard let endpoint = try await webhooks.store.get(id) else { throw unknownEndpoint(id) }
        return endpoint
    }

    private func unknownEndpoint(_ id: UUID) -> APIError {
        .notFound("unknown_webhook", "no webhook endpoint \(id.uuidString.lowercased())")
    }

    private func checkedURL(_ text: String) async throws -> String {
        do {
            return try await webhooks.guardrail.check(text).absoluteString
        } catch .forbiddenAddress(let host, let address) {
            throw APIError.badRequest(
                "forbidden_address",
                "`url`: \(host) resolves to \(address), a loopback, link-local, private or reserved address, which webhooks may not call")
        } catch {
            throw APIError.badRequest("invalid_url", "`url`: \(error)")
        }
    }

    private func checkedEventTypes(_ types: [String]) throws -> [String] {
        guard !types.isEmpty, types.count <= WebhookEventTypes.all.count else {
            throw APIError.badRequest("invalid_field", "`event_types` must name 1 to \(WebhookEventTypes.all.count) event types")
        }
        if let unknown = types.first(where: { !WebhookEventTypes.known.contains($0) }) {
            throw APIError.badRequest(
                "unknown_event_type",
                "`event_types`: '\(unknown.prefix(64))' is not an event type; use one of \(WebhookEventTypes.all.joined(separator: ", "))")
        }
        return Array(Set(types)).sorted()
    }

    private func checkedChannels(_ channels: [String]) throws -> [String] {
        guard channels.count <= 64 else { throw APIError.badRequest("invalid_field", "`channels` may name at most 64 channels") }
        for channel in channels {
            do {
                try FieldRules.channel(channel, field: "channels")
            } catch {
                throw APIError.badRequest("invalid_channel", "`channels`: '\(channel.prefix(64))' is not a channel name (^[a-z0-9][a-z0-9_-]{0,63}$)")
            }
        }
        return Array(Set(channels)).sorted()
    }

    private func checkedDescription(_ text: String) throws -> String {
        guard text.unicodeScalars.count <= 200 else { throw APIError.badRequest("invalid_field", "`description` must be at most 200 characters") }
        return text
    }

    private func checkedTimeout(_ value: Int) throws -> Int {
        guard (100...60_000).contains(value) else { throw APIError.badRequest("invalid_field", "`timeout_ms` must be 100 to 60000") }
        return value
    }
}

/// `GET /admin/webhooks`.
struct WebhookList: Encodable {
    var items: [WebhookEndpoint]
    var eventTypes: [String]
    enum CodingKeys: String, CodingKey {
        case items
        case eventTypes = "event_types"
    }
}

/// `GET /admin/webhooks/{endpoint_id}/deliveries`.
struct WebhookDeliveryList: Encodable {
    var items: [WebhookDelivery]
    var nextBefore: String?
    enum CodingKeys: String, CodingKey {
        case items
        case nextBefore = "next_before"
    }
}
