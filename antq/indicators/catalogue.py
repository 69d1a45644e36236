"""The standard indicator catalogue, installed by `antq setup` (no demo needed).

Codes are stable: reports, imports and the API refer to them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Standard:
    code: str
    name: str
    name_en: str
    unit: str = "count"
    time_aggregation: str = "sum"
    value_type: str = "integer"
    description: str = ""


STANDARD: tuple[Standard, ...] = (
    Standard(
        "MEDIA_ITEMS",
        "Số tin, bài, ảnh, phóng sự tuyên truyền về an ninh, trật tự được đăng tải",
        "News items, articles, photos and reports published on security and order",
    ),
    Standard(
        "MEDIA_ITEMS_CENTRAL",
        "Số tin, bài, ảnh, phóng sự đăng trên báo chí Trung ương",
        "Media items published by central outlets",
    ),
    Standard(
        "MEDIA_ITEMS_LOCAL",
        "Số tin, bài, ảnh, phóng sự đăng trên báo chí địa phương",
        "Media items published by local outlets",
    ),
    Standard("MEDIA_NEWS", "Số tin tuyên truyền về an ninh, trật tự", "News items published"),
    Standard(
        "MEDIA_ARTICLES", "Số bài viết tuyên truyền về an ninh, trật tự", "Articles published"
    ),
    Standard("MEDIA_PHOTOS", "Số ảnh tuyên truyền về an ninh, trật tự", "Photos published"),
    Standard(
        "MEDIA_REPORTS", "Số phóng sự tuyên truyền về an ninh, trật tự", "Feature reports published"
    ),
    Standard("MEDIA_VIDEOS", "Số video tuyên truyền về an ninh, trật tự", "Videos published"),
    Standard(
        "SM_MODELS_ACTIVE",
        "Số mô hình “Tự phòng, tự quản, tự bảo vệ, tự hòa giải về an ninh, trật tự” đang hoạt động",
        "Self-management models on security and order in operation",
        time_aggregation="last",
        description="Số mô hình tại cuối kỳ (chỉ tiêu thời điểm).",
    ),
    Standard(
        "SM_MODELS_NEW",
        "Số mô hình tự quản về an ninh, trật tự mới xây dựng",
        "New self-management models built",
    ),
    Standard(
        "SM_MODELS_REPLICATED",
        "Số mô hình mới được nhân rộng từ mô hình đã có",
        "New models replicated from an existing model",
    ),
    Standard("TIPS_RECEIVED", "Số nguồn tin do Nhân dân cung cấp", "Tips provided by the people"),
    Standard("TIPS_VALUABLE", "Số nguồn tin có giá trị", "Tips of value"),
    Standard(
        "CASES_CLEARED_BY_TIPS",
        "Số vụ phạm pháp hình sự được làm rõ nhờ nguồn tin của Nhân dân",
        "Criminal cases cleared thanks to people's tips",
    ),
    Standard(
        "SUSPECTS_BY_TIPS",
        "Số đối tượng trong các vụ được làm rõ nhờ nguồn tin của Nhân dân",
        "Suspects in the cases cleared thanks to tips",
        unit="persons",
    ),
    Standard(
        "ASSETS_RECOVERED_VND", "Giá trị tài sản thu hồi", "Value of assets recovered", unit="vnd"
    ),
    Standard(
        "LAUNCH_EVENTS",
        "Số lượt phát động phong trào toàn dân bảo vệ an ninh Tổ quốc",
        "Movement launch events",
    ),
    Standard(
        "NGAY_HOI_PARTICIPANTS",
        "Số người tham gia Ngày hội toàn dân bảo vệ an ninh Tổ quốc",
        "Participants in the All-people National Security Day",
        unit="persons",
    ),
    Standard(
        "SECURITY_TEAMS",
        "Số tổ bảo vệ an ninh, trật tự ở cơ sở",
        "Grassroots security and order teams",
        time_aggregation="last",
    ),
    Standard(
        "SECURITY_TEAM_MEMBERS",
        "Số thành viên tổ bảo vệ an ninh, trật tự ở cơ sở",
        "Members of grassroots security and order teams",
        unit="persons",
        time_aggregation="last",
    ),
    Standard(
        "MEDIATIONS",
        "Số vụ việc hòa giải thành ở cơ sở",
        "Disputes successfully mediated at the grassroots",
    ),
    Standard(
        "PEOPLE_REEDUCATED",
        "Số người được cảm hóa, giáo dục tại cộng đồng",
        "People re-educated in the community",
        unit="persons",
    ),
    Standard(
        "MEETINGS_HELD",
        "Số buổi họp dân, sinh hoạt tổ về an ninh, trật tự",
        "Residents' meetings on security and order",
    ),
    Standard(
        "MOVEMENT_CLASS_EXCELLENT",
        "Số xã, phường, đặc khu xếp loại phong trào toàn dân bảo vệ an ninh Tổ quốc xuất sắc",
        "Communes whose movement is rated excellent",
        time_aggregation="last",
        description="Theo kết quả đánh giá cuối năm (chỉ tiêu thời điểm 31/12).",
    ),
    Standard(
        "MOVEMENT_CLASS_GOOD",
        "Số xã, phường, đặc khu xếp loại phong trào khá",
        "Communes whose movement is rated good",
        time_aggregation="last",
    ),
    Standard(
        "MOVEMENT_CLASS_AVERAGE",
        "Số xã, phường, đặc khu xếp loại phong trào trung bình",
        "Communes whose movement is rated average",
        time_aggregation="last",
    ),
    Standard(
        "MOVEMENT_CLASS_WEAK",
        "Số xã, phường, đặc khu xếp loại phong trào yếu",
        "Communes whose movement is rated weak",
        time_aggregation="last",
    ),
    Standard(
        "SAFE_AREAS_REGISTERED",
        "Số khu dân cư, xã, phường đăng ký xây dựng “An toàn về an ninh, trật tự”",
        "Residential areas and communes registered for “safe on security and order”",
        time_aggregation="last",
    ),
    Standard(
        "SAFE_AREAS_RECOGNISED",
        "Số khu dân cư, xã, phường được công nhận “An toàn về an ninh, trật tự”",
        "Residential areas and communes recognised “safe on security and order”",
        time_aggregation="last",
    ),
)
