import{a}from"./chunk-RC6IBPHE.js";import"./chunk-HAIBWRCX.js";import"./chunk-6JPMHYAS.js";import"./chunk-OIHOTPI6.js";import"./chunk-IJFMVZ7C.js";import"./chunk-MMAWF5YK.js";import"./chunk-B62NFM63.js";export{a as TrainingView};
//# sourceMappingURL=chunk-QHHNWSMY.js.map
