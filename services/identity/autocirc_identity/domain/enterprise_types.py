"""Enterprise types of the registration form (汽车销售企业类型 / 二手车经营主体类型)."""
from __future__ import annotations

from enum import Enum


class EnterpriseType(str, Enum):
    oem = "oem"  # 国内主机厂（及其总经销商）
    import_distributor = "import_distributor"  # 进口总经销商
    new_car_dealer = "new_car_dealer"  # 经销商
    used_car_market = "used_car_market"  # 二手车交易市场
    used_car_appraiser = "used_car_appraiser"  # 二手车鉴定评估机构
    used_car_dealer = "used_car_dealer"  # 二手车经销企业
    used_car_broker = "used_car_broker"  # 二手车经纪公司
    used_car_auction = "used_car_auction"  # 二手车拍卖公司


LABELS = {
    EnterpriseType.oem: "国内主机厂",
    EnterpriseType.import_distributor: "进口总经销商",
    EnterpriseType.new_car_dealer: "经销商",
    EnterpriseType.used_car_market: "二手车交易市场",
    EnterpriseType.used_car_appraiser: "二手车鉴定评估机构",
    EnterpriseType.used_car_dealer: "二手车经销企业",
    EnterpriseType.used_car_broker: "二手车经纪公司",
    EnterpriseType.used_car_auction: "二手车拍卖公司",
}
