import{a}from"./chunk-JDLNB2YO.js";import"./chunk-NKVLYKR4.js";import"./chunk-AW2UZTYN.js";import"./chunk-KPE4UKAN.js";import"./chunk-5W2L4CLI.js";import"./chunk-XAV2CQLB.js";import"./chunk-2S6KWIXJ.js";export{a as TrainingView};
//# sourceMappingURL=chunk-4GQQNLGN.js.map
