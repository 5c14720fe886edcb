#include "dashboard/report_api.h"

#include "dashboard/api_json.h"

namespace costwatch::dashboard {

web::Response ReportAnswer(store::StateStore&, const config::Config&, const ReportQuery&,
                           std::chrono::system_clock::time_point) {
  web::Response response = web::JsonResponse(ErrorJson("the report module is not built in yet"));
  response.status = 503;
  return response;
}

}  // namespace costwatch::dashboard
