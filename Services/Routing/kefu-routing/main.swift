import RoutingService
import ServiceRuntime

await ServiceHost.main(RoutingService.definition())
