/*
 * A STAND-IN, not Huawei's declarations. '@kit.HealthServiceKit' is part of
 * the HMS SDK that DevEco Studio installs; it is on no package registry, so
 * ets-check (check.mjs) type-checks examples/harmony/HealthServiceKitHost.ets
 * against this file instead.
 *
 * Written by hand from Huawei's published API reference, "healthStore
 * (运动健康数据服务)", https://developer.huawei.com/consumer/cn/doc/harmonyos-references/health-api-healthstore
 * (init, requestAuthorizations, aggregateData, DataType, AuthorizationRequest,
 * AuthorizationResponse, AggregateRequest, AggregateResult, AggregateMetrics,
 * GroupOption, GroupUnitType), and its pages on samplePointHelper
 * (dailyActivities: DATA_TYPE, AggregateFields, AggregateResult), healthModels
 * (DailyActivitiesAggregateResult) and healthFields
 * (DailyActivitiesAggregation), Health Service Kit 5.0.0(12). It declares only
 * what the example uses, with the types and optionality the reference gives;
 * everything else of the kit is left out. A mismatch with the real SDK shows
 * only when the example is built with DevEco Studio.
 */
import { common } from '@kit.AbilityKit';

export declare namespace healthStore {
  /** A data type: a unique id, and its name. */
  interface DataType {
    readonly id: number;
    readonly name?: string;
  }

  /** The data types an app asks to read and write. */
  interface AuthorizationRequest {
    readDataTypes: DataType[];
    writeDataTypes: DataType[];
    scopes?: string[];
  }

  /** The data types granted: the intersection of what the app applied for and what the user allowed. */
  interface AuthorizationResponse {
    readDataTypes: DataType[];
    writeDataTypes: DataType[];
    scopes?: string[];
  }

  type AggregateMetricScope = 'max' | 'min' | 'avg' | 'sum' | 'last' | 'count';

  type AggregateMetrics = Partial<Record<AggregateMetricScope, number>>;

  /** Grouping units of an aggregation. */
  enum GroupUnitType {
    DAY = 3
  }

  interface GroupOption {
    unitType: GroupUnitType;
    /** Units per group; 1 (the only value for DAY) when left out. */
    duration?: number;
  }

  /** An aggregate query over local dates ('MM/DD/YYYY'). */
  interface AggregateRequest<T extends Record<string, AggregateMetrics> = Record<string, AggregateMetrics>> {
    dataType: DataType;
    metrics: Partial<Record<keyof T, AggregateMetricScope[]>>;
    groupBy: GroupOption;
    startLocalDate: string;
    endLocalDate: string;
    count?: number;
    offset?: number;
  }

  /** One group of an aggregate query; times in ms since the epoch. */
  interface AggregateResult<T extends Record<string, AggregateMetrics> = Record<string, AggregateMetrics>> {
    dataType: DataType;
    localDate: string;
    startTime: number;
    endTime: number;
    timeZone: string;
    modifiedTime: number;
    fields: Pick<T, keyof T>;
  }

  /** Initializes the service; call it before any other API. */
  function init(context: common.Context): Promise<void>;

  /** Shows the authorization page and resolves what was granted. */
  function requestAuthorizations(
    context: common.UIAbilityContext,
    request: AuthorizationRequest
  ): Promise<AuthorizationResponse>;

  /** Runs an aggregate query. */
  function aggregateData<T extends AggregateResult>(request: AggregateRequest): Promise<T[]>;

  namespace samplePointHelper {
    namespace dailyActivities {
      const DATA_TYPE: DataType;
      /** healthFields.DailyActivitiesAggregation. */
      type AggregateFields = {
        step: Omit<AggregateMetrics, 'max' | 'min' | 'avg' | 'last' | 'count'>;
        calorie: Omit<AggregateMetrics, 'max' | 'min' | 'avg' | 'last' | 'count'>;
        distance: Omit<AggregateMetrics, 'max' | 'min' | 'avg' | 'last' | 'count'>;
      };
      /** healthModels.DailyActivitiesAggregateResult. */
      type AggregateResult = healthStore.AggregateResult<AggregateFields>;
    }
  }
}
