import ReportingService
import ServiceRuntime

await ServiceHost.main(ReportingService.definition())
